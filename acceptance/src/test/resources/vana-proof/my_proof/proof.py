import json
import logging
import os


class Proof:
    def __init__(self, config):
        self.config = config
        self.proof_response = {
            'dlp_id': config['dlp_id'],
            'valid': False, 'score': 0.0,
            'authenticity': 0.0, 'ownership': 0.0, 'quality': 0.0, 'uniqueness': 0.0,
            'attributes': {}, 'metadata': {},
        }

    def generate(self):
        logging.info("Starting proof generation")
        account_email = None
        total_score = 0
        for input_filename in os.listdir(self.config['input_dir']):
            input_file = os.path.join(self.config['input_dir'], input_filename)
            if os.path.splitext(input_file)[1].lower() != '.json':
                continue
            with open(input_file, 'r') as f:
                input_data = json.load(f)
            if input_filename == 'account.json':
                account_email = input_data.get('email', None)
            elif input_filename == 'activity.json':
                total_score = sum(item.get('score', 0) for item in input_data)

        email_matches = self.config['user_email'] is not None and self.config['user_email'] == account_email
        self.proof_response['ownership'] = 1.0 if email_matches else 0.0
        self.proof_response['quality'] = max(0, min(total_score / 10, 1.0))
        self.proof_response['authenticity'] = 0
        self.proof_response['uniqueness'] = 0
        self.proof_response['score'] = 0.6 * self.proof_response['quality'] + 0.4 * self.proof_response['ownership']
        self.proof_response['valid'] = email_matches and total_score >= 1
        self.proof_response['attributes'] = {'total_score': total_score, 'score_threshold': 10, 'email_verified': email_matches}
        self.proof_response['metadata'] = {'dlp_id': self.config['dlp_id']}
        return self.proof_response
